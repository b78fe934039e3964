import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { ApiError } from '@understudy/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';

/**
 * `Authorization: Bearer <token>` against ADMIN_TOKEN in constant time: both
 * sides are hashed first, so neither the comparison nor an early length
 * mismatch tells an attacker how much of a guess was right.
 */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  if (authorization === undefined) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const given = createHash('sha256').update(match?.[1] ?? '').digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: Config) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (bearerMatches(request.headers.authorization, this.config.ADMIN_TOKEN)) return true;
    void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="understudy-admin"');
    throw new ApiError(401, 'UNAUTHORIZED', 'the admin API needs Authorization: Bearer <ADMIN_TOKEN>');
  }
}
