import { applyDecorators, createParamDecorator, type ExecutionContext, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { APP_CONFIG } from '@understudy/config';
import { SHADOW_HEADER, verifyLegacyCartToken } from '@understudy/contracts';
import { inTransaction as inPoolTransaction, poolOf } from '@understudy/database';
import { ApiError, DATA_SOURCE } from '@understudy/platform';
import type { FastifyRequest } from 'fastify';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';

/** The cart id inside a monolith cart token; 400 INVALID_CART_TOKEN when the token is not one the monolith signed. */
export function cartIdOf(token: string, secrets: readonly string[]): string {
  const verified = verifyLegacyCartToken(token, secrets);
  if (verified.ok) return verified.cartId;
  throw new ApiError(400, 'INVALID_CART_TOKEN', 'cartToken is not a valid cart token', { reason: verified.reason });
}

/**
 * The monolith's answers carry when they were generated, to the microsecond
 * (its framework always did this); two identical requests never get the same
 * answer byte for byte — noise a shadow comparison has to learn to ignore.
 */
export function generatedAt(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/** `@Shadow() shadow: boolean` — the gateway's dry-run marker: do everything, keep nothing. */
export const Shadow = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers[SHADOW_HEADER];
  return (Array.isArray(value) ? value[0] : value)?.trim() === '1';
});

/** Runs `work` in a transaction (libs/database `inTransaction`); commits unless `rollback` (a shadow request's dry run) or it throws. */
export function inTransaction<T>(dataSource: DataSource, work: (client: PoolClient) => Promise<T>, rollback: boolean): Promise<T> {
  return inPoolTransaction(poolOf(requireDatabase(dataSource)), work, { rollback });
}

export function requireDatabase(dataSource: DataSource): DataSource {
  if (!dataSource.isInitialized) throw new ApiError(503, 'DATABASE_UNAVAILABLE', 'storage unreachable; retry');
  return dataSource;
}

export function variantNotFound(variantIds: readonly string[]): ApiError {
  return variantIds.length === 1
    ? new ApiError(404, 'VARIANT_NOT_FOUND', `variant ${variantIds[0]} is not in the catalogue`, { variantId: variantIds[0] })
    : new ApiError(404, 'VARIANT_NOT_FOUND', `${variantIds.length} variants are not in the catalogue`, { variantIds });
}

/** What each of the monolith's services works with: its config and its database. */
export abstract class LegacyService {
  constructor(
    @Inject(APP_CONFIG) protected readonly config: Config,
    @Inject(DATA_SOURCE) protected readonly dataSource: DataSource,
  ) {}
}

/**
 * A POST that answers 200 (a check or a quote, not a creation), documented with its summary and
 * the 200, 400 and 404 it gives. Applied in the order stacked decorators would be (the last first).
 */
export function PostAnswer(path: string, doc: { summary: string; ok: string; badRequest: string; notFound: string }): MethodDecorator {
  return applyDecorators(
    ApiNotFoundResponse({ description: doc.notFound }),
    ApiBadRequestResponse({ description: doc.badRequest }),
    ApiOkResponse({ description: doc.ok }),
    ApiOperation({ summary: doc.summary }),
    HttpCode(200),
    Post(path),
  );
}
