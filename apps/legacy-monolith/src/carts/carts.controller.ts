import { randomBytes } from 'node:crypto';
import { Controller, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG } from '@understudy/config';
import { signLegacyCartToken } from '@understudy/contracts';
import type { Config } from '../config';

@ApiTags('carts')
@Controller('carts')
export class CartsController {
  constructor(@Inject(APP_CONFIG) private readonly config: Config) {}

  @Post()
  @ApiOperation({ summary: "Start a cart: a new cart id in the monolith's signed token format (lm1.…)." })
  @ApiCreatedResponse({ description: '`{cartToken}`' })
  create() {
    const cartId = `c${randomBytes(9).toString('base64url')}`;
    return { cartToken: signLegacyCartToken(cartId, this.config.LEGACY_CART_TOKEN_SECRETS[0]!) };
  }
}
