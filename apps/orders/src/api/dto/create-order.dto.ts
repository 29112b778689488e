import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO4217CurrencyCode,
  IsObject,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ClosedSchema } from './closed-schema.decorator';
import { CURRENCY_CODES, caseInsensitiveCodePattern } from './iso-code-schemas';
import { OptionalField } from './optional-field.decorator';
import { OrderLineDto } from './order-line.dto';
import { ShippingAddressDto } from './shipping-address.dto';

export const MAX_LINES_PER_ORDER = 100;

/** The fields a client may change while an order is still PLACED. */
export class OrderContentDto {
  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: MAX_LINES_PER_ORDER })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES_PER_ORDER)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @ApiProperty({ type: ShippingAddressDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress!: ShippingAddressDto;

  @ApiPropertyOptional({ example: 'Leave at the reception', maxLength: 1000 })
  @OptionalField()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

@ClosedSchema()
export class CreateOrderDto extends OrderContentDto {
  @ApiPropertyOptional({
    example: 'customer-42',
    minLength: 1,
    maxLength: 64,
    description:
      "Whose order it is. A customer's token may leave it out (its own customer is meant) or name its own " +
      'customer only; every other caller must name one.',
  })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiProperty({
    example: 'EUR',
    pattern: caseInsensitiveCodePattern(CURRENCY_CODES),
    description:
      'ISO 4217 currency code, in any letter case (the order keeps it upper case); every amount is in its minor units',
  })
  @IsISO4217CurrencyCode()
  currency!: string;
}

@ClosedSchema()
export class ReviseOrderDto extends OrderContentDto {}
