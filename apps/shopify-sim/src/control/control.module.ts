import { Module } from '@nestjs/common';
import { ControlController } from './control.controller';

/** `/_sim/*`: the simulator's control API. */
@Module({ controllers: [ControlController] })
export class ControlModule {}
