import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { ApiError } from '@understudy/platform';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config';

/** Loopback addresses as Node reports a peer: IPv4 127/8, IPv6 ::1, IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * The control API can reseed, reset and reconfigure the shop: it answers
 * clients on this machine only, unless SIM_CONTROL_ACCESS=any. The Admin API on
 * the same port stays open to every client, as Shopify's is.
 */
@Injectable()
export class ControlAccessGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: Config) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.SIM_CONTROL_ACCESS === 'any') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (isLoopback(request.socket.remoteAddress)) return true;
    throw new ApiError(403, 'CONTROL_API_LOOPBACK_ONLY', 'the simulator control API answers only local clients (set SIM_CONTROL_ACCESS=any to open it)');
  }
}
