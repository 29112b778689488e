import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, ValidateNested } from 'class-validator';
import { CreateOrderDto } from './create-order.dto';

export const MAX_BULK_ORDERS = 1_000;

export class BulkCreateOrdersDto {
  @ApiProperty({ type: [CreateOrderDto], minItems: 1, maxItems: MAX_BULK_ORDERS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ORDERS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CreateOrderDto)
  orders!: CreateOrderDto[];
}
