import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { SHADOW_HEADER } from '@understudy/contracts';
import type { FastifyRequest } from 'fastify';

export { SHADOW_HEADER };

export function isShadowRequest(headers: Record<string, string | string[] | undefined>): boolean {
  const value = headers[SHADOW_HEADER];
  return (Array.isArray(value) ? value[0] : value)?.trim() === '1';
}

/** `@Shadow() shadow: boolean` — true when the request must leave no trace (everything is rolled back). */
export const Shadow = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  isShadowRequest(context.switchToHttp().getRequest<FastifyRequest>().headers),
);
