import { ApiError } from '@understudy/platform';

export function variantNotFound(variantId: string): ApiError {
  return new ApiError(404, 'VARIANT_NOT_FOUND', `variant ${variantId} is not known to inventory`, { variantId });
}

export function variantsNotFound(variantIds: string[]): ApiError {
  return variantIds.length === 1
    ? variantNotFound(variantIds[0]!)
    : new ApiError(404, 'VARIANT_NOT_FOUND', `${variantIds.length} variants are not known to inventory`, { variantIds });
}
