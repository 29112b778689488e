import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { ClosedSchema } from './closed-schema.decorator';

@ClosedSchema()
export class OrderLineDto {
  @ApiProperty({ example: 'SKU-1001', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ example: 'Mechanical keyboard', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: 'integer', format: 'int32', example: 2, minimum: 1, maximum: 10_000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    example: 4999,
    minimum: 0,
    maximum: 1_000_000_000_000,
    description: 'Price of one unit in minor units of the order currency (cents)',
  })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  unitPrice!: number;
}
