import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO31661Alpha2, IsString, Length } from 'class-validator';
import { OptionalField } from './optional-field.decorator';

export class ShippingAddressDto {
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  recipient!: string;

  @ApiProperty({ example: '12 St James Square', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  line1!: string;

  @ApiPropertyOptional({ example: 'Flat 3', maxLength: 200 })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  line2?: string;

  @ApiProperty({ example: 'London', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  city!: string;

  @ApiPropertyOptional({ example: 'Greater London', maxLength: 100 })
  @OptionalField()
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiProperty({ example: 'SW1Y 4JH', maxLength: 20 })
  @IsString()
  @Length(1, 20)
  postalCode!: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2 country code' })
  @IsISO31661Alpha2()
  country!: string;
}
