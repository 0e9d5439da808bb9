import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What a caller of the service needs, and nothing more (README "Send a message"): sending is `POST /messages`
 * over SigV4 or a direct invoke of the send function; reading a status is `GET /messages/{id}`.
 */
export function grantSend(
  grantee: iam.IGrantable,
  api: apigateway.RestApi,
  sendFunction: lambda.IFunction,
): iam.Grant {
  const stage = api.deploymentStage.stageName;
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['execute-api:Invoke'],
    resourceArns: [api.arnForExecuteApi('POST', '/messages', stage)],
  }).combine(sendFunction.grantInvoke(grantee));
}

export function grantReadStatus(grantee: iam.IGrantable, api: apigateway.RestApi): iam.Grant {
  const stage = api.deploymentStage.stageName;
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['execute-api:Invoke'],
    resourceArns: [api.arnForExecuteApi('GET', '/messages/*', stage)],
  });
}
