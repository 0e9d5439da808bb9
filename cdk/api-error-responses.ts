import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { GATEWAY_ERRORS, type GatewayErrorType } from '../shared/http/gateway-errors';

/**
 * API Gateway's own refusals (IAM, throttling, size, integration failures) in the service's error shape,
 * so a caller reads one contract whoever answered. The message is API Gateway's own (`messageString`, a
 * JSON string literal already); the code is ours. Status codes stay API Gateway's.
 */
export function addServiceErrorResponses(api: apigateway.RestApi): void {
  for (const [type, { code }] of Object.entries(GATEWAY_ERRORS) as [GatewayErrorType, { code: string }][]) {
    api.addGatewayResponse(`Error${type}`, {
      type: apigateway.ResponseType.of(type),
      templates: {
        'application/json': `{"error": {"code": "${code}", "message": $context.error.messageString}}`,
      },
    });
  }
}
