import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The OpenAPI schemas of the problem+json bodies every route can answer (see ProblemDetailsFilter). */
export class FieldErrorSchema {
  @ApiProperty({ example: 'lines[0].quantity' }) field!: string;
  @ApiProperty({ example: 'lines[0].quantity must not be less than 1' }) message!: string;
}

export class ProblemSchema {
  @ApiProperty({ example: 'urn:problem:orders:validation', description: 'urn:problem:orders:<kind>, or about:blank' })
  type!: string;
  @ApiProperty({ example: 'Request validation failed' }) title!: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 400, maximum: 599, example: 400 }) status!: number;
  @ApiProperty({ example: 'shippingAddress.country: shippingAddress.country must be a valid ISO31661 Alpha2 code' })
  detail!: string;
  @ApiPropertyOptional({
    example: '/api/orders',
    description: 'The path and query of the request; absent when the request line could not be parsed',
  })
  instance?: string;
  @ApiProperty({ example: '6f1c2a9e-3b7d-4e5f-8a9b-0c1d2e3f4a5b', description: 'Also in the X-Request-Id header' })
  requestId!: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'Validation problems only: one entry per bad field' })
  errors?: FieldErrorSchema[];
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    example: 2,
    description:
      'Rate limited (429) and database unavailable (503) only: seconds to wait before retrying, as in Retry-After',
  })
  retryAfter?: number;
}
