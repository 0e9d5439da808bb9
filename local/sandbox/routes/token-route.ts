/** POST /oauth/token: client credentials grant with HTTP Basic client authentication. */
import { mediaType } from '../http-io';
import type { Stats } from '../stats';
import { parseBasicAuth, type TokenService } from '../token-service';
import { type RequestContext, replyJson } from './context';

function oauthError(ctx: RequestContext, status: number, error: string, description: string): void {
  replyJson(ctx, status, { error, description, error_description: description });
}

export function handleToken(ctx: RequestContext, tokens: TokenService, stats: Stats): void {
  const type = mediaType(ctx.request);
  if (type !== 'application/x-www-form-urlencoded') {
    oauthError(ctx, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    return;
  }
  const grantType = new URLSearchParams(ctx.rawBody.toString('utf8')).get('grant_type');
  if (!grantType) {
    oauthError(ctx, 400, 'invalid_request', 'grant_type is required');
    return;
  }
  const client = parseBasicAuth(ctx.request.headers.authorization);
  if (!client || !tokens.isKnownClient(client.clientId, client.clientSecret)) {
    oauthError(ctx, 401, 'invalid_client', 'client authentication failed (Authorization: Basic id:secret)');
    return;
  }
  if (grantType !== 'client_credentials') {
    oauthError(
      ctx,
      400,
      'unsupported_grant_type',
      `grant_type ${grantType} is not supported: use client_credentials`,
    );
    return;
  }
  const issued = tokens.issue(client.clientId);
  stats.tokenIssued();
  replyJson(ctx, 200, {
    access_token: issued.accessToken,
    token_type: 'bearer',
    expires_in: issued.expiresInSeconds,
  });
}
