import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';
import { ClosedSchema } from './closed-schema.decorator';
import { CreateOrderDto } from './create-order.dto';

export const MAX_BULK_ORDERS = 1_000;

const BULK_EXAMPLE_ORDER = {
  customerId: 'customer-7',
  currency: 'USD',
  lines: [{ sku: 'SKU-1', name: 'Mouse', quantity: 2, unitPrice: 1999 }],
  shippingAddress: {
    recipient: 'Grace Hopper',
    line1: '1 Navy Way',
    city: 'Arlington',
    postalCode: '22202',
    country: 'US',
  },
};

/** The bulk body's envelope; its orders are validated one by one (BulkOrdersValidationPipe). */
export class BulkOrdersEnvelope {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ORDERS)
  @IsObject({ each: true })
  orders!: unknown[];
}

/** The bulk body as the OpenAPI document describes it. */
@ClosedSchema()
export class BulkCreateOrdersDto {
  @ApiProperty({
    type: [CreateOrderDto],
    minItems: 1,
    maxItems: MAX_BULK_ORDERS,
    example: [BULK_EXAMPLE_ORDER],
  })
  orders!: CreateOrderDto[];
}
