import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { OrderStatus } from '@app/orders';
import { IsSupportedInstant } from './supported-instant.decorator';

export const MAX_PAGE_SIZE = 100;

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: OrderStatus })
  @IsOptional()
  @IsEnum(OrderStatus)
  status?: OrderStatus;

  @ApiPropertyOptional({ example: 'customer-42', minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiPropertyOptional({
    example: '2026-01-01T00:00:00Z',
    description: 'Only orders created at or after this instant (years 1 to 9999)',
  })
  @IsOptional()
  @Type(() => Date)
  @IsSupportedInstant()
  createdFrom?: Date;

  @ApiPropertyOptional({
    example: '2027-01-01T00:00:00Z',
    description: 'Only orders created before this instant (years 1 to 9999)',
  })
  @IsOptional()
  @Type(() => Date)
  @IsSupportedInstant()
  createdTo?: Date;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', default: 20, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class CancelOrderQuery {
  @ApiPropertyOptional({ example: 'Customer changed their mind', minLength: 1, maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}
