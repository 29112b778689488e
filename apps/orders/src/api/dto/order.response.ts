import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemSchema } from '@app/http';
import { OrderEventType, OrderStatus } from '@app/orders';
import { CURRENCY_CODES } from './iso-code-schemas';
import { OrderLineDto } from './order-line.dto';
import { ShippingAddressDto } from './shipping-address.dto';

/** Response shapes, for the OpenAPI document; the bodies are the domain orders serialized as JSON. */

/** Amounts are safe integers: the server refuses (422) any total it could not represent exactly. */
const amount = { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
/** Versions start at 1 and are stored as a PostgreSQL integer. */
const version = { type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 } as const;

export class OrderLineResponse extends OrderLineDto {
  @ApiProperty({ ...amount, example: 9998, description: 'quantity x unitPrice, in minor units' })
  lineTotal!: number;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid', example: '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80' }) id!: string;
  @ApiProperty({ example: 'customer-42' }) customerId!: string;
  @ApiProperty({ enum: OrderStatus, example: OrderStatus.PLACED }) status!: OrderStatus;
  @ApiProperty({ enum: CURRENCY_CODES, example: 'EUR', description: 'ISO 4217, upper case' })
  currency!: string;
  @ApiProperty({ type: [OrderLineResponse] }) lines!: OrderLineResponse[];
  @ApiProperty({
    ...amount,
    example: 9998,
    description: 'Sum of the line totals, in minor units, computed by the server',
  })
  totalAmount!: number;
  @ApiProperty({ type: ShippingAddressDto }) shippingAddress!: ShippingAddressDto;
  @ApiProperty({ type: String, nullable: true, example: null }) notes!: string | null;
  @ApiProperty({
    ...version,
    example: 1,
    description: 'Increases with every change; the ETag is this number in quotes',
  })
  version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) shippedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) cancellationReason!: string | null;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse] }) items!: OrderResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= to get the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class BulkOrdersResponse {
  @ApiProperty({ type: [OrderResponse] }) orders!: OrderResponse[];
}

/** A problem+json body, with the extensions the orders API adds (see order-problems.ts). */
export class ProblemResponse extends ProblemSchema {
  @ApiPropertyOptional({ enum: OrderStatus, description: 'Illegal transitions and edits of an order past PLACED' })
  currentStatus?: OrderStatus;
  @ApiPropertyOptional({ enum: OrderStatus, description: 'Illegal transitions only' }) requestedStatus?: OrderStatus;
  @ApiPropertyOptional({
    ...version,
    example: 3,
    description: 'Version mismatches (412) only: the version the order is at; its ETag is this number in quotes',
  })
  currentVersion?: number;
}

export class ActorResponse {
  @ApiProperty({ description: "The token's subject", example: 'support-7' }) subject!: string;
  @ApiProperty({ description: 'The role it acted in', example: 'support' }) role!: string;
}

export class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid', description: 'ce_id of the event' }) eventId!: string;
  @ApiProperty({ enum: OrderEventType, example: OrderEventType.ORDER_CONFIRMED }) type!: OrderEventType;
  @ApiProperty({ ...version, example: 2, description: 'Order version the event produced' })
  orderVersion!: number;
  @ApiProperty({ enum: OrderStatus, example: OrderStatus.CONFIRMED }) status!: OrderStatus;
  // OpenAPI 3.0 allows null in an enum only when the enum lists it.
  @ApiProperty({
    type: String,
    enum: [...Object.values(OrderStatus), null],
    nullable: true,
    example: OrderStatus.PLACED,
  })
  previousStatus!: OrderStatus | null;
  @ApiProperty({ format: 'date-time', description: 'When the change committed' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the worker consumed the event' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that caused it' })
  correlationId!: string | null;
  @ApiProperty({
    type: ActorResponse,
    nullable: true,
    description: 'Who made the change; null for events written before events named their actor',
  })
  actor!: ActorResponse | null;
}

export class OrderTimelineResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ type: [TimelineEntryResponse] }) events!: TimelineEntryResponse[];
}
