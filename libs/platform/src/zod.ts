import { applyDecorators, Body, Param, type PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { validationFailed, zodIssues } from './api-error';

/** Validates a value against a zod schema; 400 VALIDATION_FAILED listing each problem by path. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw validationFailed(zodIssues(result.error));
  }
}

/** For a path parameter or header read by hand: its value, or 400 VALIDATION_FAILED naming it when it is not valid. */
export function parseParam<T>(schema: z.ZodType<T>, name: string, value: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationFailed(zodIssues(parsed.error, name));
}

/** JSON Schema for the OpenAPI document, straight from the zod schema that validates. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return jsonSchema;
}

/** `@ValidBody(schema) body: T` — validated body plus its OpenAPI description. */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  return (target, propertyKey, index) => {
    Body(new ZodValidationPipe(schema))(target, propertyKey, index);
    if (propertyKey !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
      if (descriptor) applyDecorators(ApiBody({ schema: openApiSchema(schema) }))(target, propertyKey, descriptor);
    }
  };
}

/** `@ValidQuery(schema) query: T` — validated query string. */
export function ValidQuery(schema: z.ZodObject<z.ZodRawShape>): ParameterDecorator {
  return (target, propertyKey, index) => {
    Query(new ZodValidationPipe(schema))(target, propertyKey, index);
    if (propertyKey !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
      if (!descriptor) return;
      for (const [name, field] of Object.entries(schema.shape)) {
        applyDecorators(
          ApiQuery({ name, required: !(field as z.ZodType).safeParse(undefined).success, schema: openApiSchema(field as z.ZodType) }),
        )(target, propertyKey, descriptor);
      }
    }
  };
}

/** `@ValidParam('id', schema) id: T` — a validated path parameter; a bad one is 400 VALIDATION_FAILED at path `name`. */
export function ValidParam(name: string, schema: z.ZodType): ParameterDecorator {
  const pipe = new ZodValidationPipe(z.object({ [name]: schema }));
  return (target, propertyKey, index) => {
    Param(name, { transform: (value: unknown) => (pipe.transform({ [name]: value }) as Record<string, unknown>)[name] })(target, propertyKey, index);
    if (propertyKey !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
      if (descriptor) applyDecorators(ApiParam({ name, required: true, schema: openApiSchema(schema) }))(target, propertyKey, descriptor);
    }
  };
}
