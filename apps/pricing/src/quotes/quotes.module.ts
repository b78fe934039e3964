import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

@Module({ imports: [ReadModelModule], controllers: [QuotesController], providers: [QuotesService] })
export class QuotesModule {}
