import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';
import { CreateOrderDto } from './create-order.dto';

export const MAX_BULK_ORDERS = 1_000;

/** The bulk body's envelope; its orders are validated one by one (BulkOrdersValidationPipe). */
export class BulkOrdersEnvelope {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ORDERS)
  @IsObject({ each: true })
  orders!: unknown[];
}

/** The bulk body as the OpenAPI document describes it. */
export class BulkCreateOrdersDto {
  @ApiProperty({ type: [CreateOrderDto], minItems: 1, maxItems: MAX_BULK_ORDERS })
  orders!: CreateOrderDto[];
}
