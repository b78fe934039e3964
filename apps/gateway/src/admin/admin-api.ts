import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminAuthGuard } from './admin-auth.guard';

/** A controller under `/admin`: the admin bearer token, its 401 and the `admin` OpenAPI tag (the route API and the console's reads). */
export function AdminApi(): ClassDecorator {
  return applyDecorators(
    ApiTags('admin'),
    ApiHeader({ name: 'Authorization', required: true, description: '`Bearer <ADMIN_TOKEN>`' }),
    ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: missing or wrong bearer token.' }),
    UseGuards(AdminAuthGuard),
    Controller('admin'),
  );
}

/** The optional header naming who makes a change, on every admin endpoint that changes something. */
export const actorHeader = ApiHeader({ name: 'x-understudy-actor', required: false, description: 'Who is making the change, for the audit log (default `admin`).' });

/** The audit log's actor for a change made through the admin API: `admin:<x-understudy-actor>`, or `admin`. */
export function actorOf(header: string | undefined): string {
  const actor = header?.trim().slice(0, 100);
  return actor ? `admin:${actor}` : 'admin';
}
