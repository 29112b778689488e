import { ApiPropertyOptional } from '@nestjs/swagger';
import { ClosedSchema } from './closed-schema.decorator';
import { MAX_LINES_PER_ORDER } from './create-order.dto';
import { COUNTRY_CODES, caseInsensitiveCodePattern } from './iso-code-schemas';
import { OrderLineDto } from './order-line.dto';

/**
 * The PATCH body as the OpenAPI document describes it (JSON Merge Patch, RFC 7396). The server
 * validates the merged result as a PUT body, so these schemas only say what a patch may name.
 */
/** Fields of the address to change; null removes an optional one. */
@ClosedSchema()
export class ShippingAddressPatchDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) recipient?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) line1?: string;
  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 200 }) line2?: string | null;
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) city?: string;
  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 100 }) region?: string | null;
  @ApiPropertyOptional({ minLength: 1, maxLength: 20 }) postalCode?: string;
  @ApiPropertyOptional({ pattern: caseInsensitiveCodePattern(COUNTRY_CODES), description: 'ISO 3166-1 alpha-2' })
  country?: string;
}

@ClosedSchema()
export class OrderMergePatchDto {
  @ApiPropertyOptional({
    type: [OrderLineDto],
    minItems: 1,
    maxItems: MAX_LINES_PER_ORDER,
    description: 'Replaces every line',
  })
  lines?: OrderLineDto[];

  @ApiPropertyOptional({ type: ShippingAddressPatchDto, description: 'Merged into the current address' })
  shippingAddress?: ShippingAddressPatchDto;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, description: 'null clears the notes' })
  notes?: string | null;
}
