import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * A generated secret whose value an admin also types into a Genesys integration (the webhook's signing
 * token, the bot connector's connection secret): 48 characters, and no automatic rotation, since changing it
 * is a change on both sides at once (`reason` says which).
 */
export function sharedSecret(
  scope: Construct,
  id: string,
  description: string,
  reason: string,
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, {
    description,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason });
  return secret;
}
