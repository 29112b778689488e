import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO31661Alpha2, IsString, Length } from 'class-validator';
import { ClosedSchema } from './closed-schema.decorator';
import { COUNTRY_CODES, caseInsensitiveCodePattern } from './iso-code-schemas';
import { OptionalField } from './optional-field.decorator';

@ClosedSchema()
export class ShippingAddressDto {
  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  recipient!: string;

  @ApiProperty({ example: '12 St James Square', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  line1!: string;

  @ApiPropertyOptional({ example: 'Flat 3', minLength: 1, maxLength: 200 })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  line2?: string;

  @ApiProperty({ example: 'London', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  city!: string;

  @ApiPropertyOptional({ example: 'Greater London', minLength: 1, maxLength: 100 })
  @OptionalField()
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiProperty({ example: 'SW1Y 4JH', minLength: 1, maxLength: 20 })
  @IsString()
  @Length(1, 20)
  postalCode!: string;

  @ApiProperty({
    example: 'GB',
    pattern: caseInsensitiveCodePattern(COUNTRY_CODES),
    description: 'ISO 3166-1 alpha-2 country code, in any letter case (kept as sent)',
  })
  @IsISO31661Alpha2()
  country!: string;
}
