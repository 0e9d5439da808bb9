import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** The two Lambda proxy event shapes API Gateway sends: REST API (v1) and HTTP API payload 2.0. */
export type ApiGatewayProxyEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

export function isHttpApiV2Event(event: ApiGatewayProxyEvent): event is APIGatewayProxyEventV2 {
  return (event as Partial<APIGatewayProxyEventV2>).version === '2.0';
}

export function httpMethodOf(event: ApiGatewayProxyEvent): string {
  return (isHttpApiV2Event(event) ? event.requestContext.http.method : event.httpMethod).toUpperCase();
}

/**
 * A path parameter as the client meant it. HTTP APIs (payload 1.0 and 2.0, both with a `version`
 * field) hand path parameters over URL-decoded; REST APIs (no `version`) hand them over still
 * percent-encoded, so those are decoded once here. A value that is not valid percent-encoding is kept.
 */
export function pathParameterOf(event: ApiGatewayProxyEvent, name: string): string | undefined {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === null) return undefined;
  const fromRestApi = !('version' in event);
  if (!fromRestApi) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
