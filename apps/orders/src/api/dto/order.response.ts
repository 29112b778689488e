import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderEventType, OrderStatus } from '@app/orders';
import { OrderLineDto } from './order-line.dto';
import { ShippingAddressDto } from './shipping-address.dto';

/** Response shapes, for the OpenAPI document; the bodies are the domain orders serialized as JSON. */
export class OrderLineResponse extends OrderLineDto {
  @ApiProperty({ example: 9998, description: 'quantity x unitPrice, in minor units' })
  lineTotal!: number;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid', example: '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80' }) id!: string;
  @ApiProperty({ example: 'customer-42' }) customerId!: string;
  @ApiProperty({ enum: OrderStatus, example: OrderStatus.PLACED }) status!: OrderStatus;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [OrderLineResponse] }) lines!: OrderLineResponse[];
  @ApiProperty({ example: 9998, description: 'Sum of the line totals, in minor units, computed by the server' })
  totalAmount!: number;
  @ApiProperty({ type: ShippingAddressDto }) shippingAddress!: ShippingAddressDto;
  @ApiProperty({ type: String, nullable: true, example: null }) notes!: string | null;
  @ApiProperty({ example: 1, description: 'Increases with every change; the ETag is this number in quotes' })
  version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) confirmedAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) shippedAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) cancelledAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) cancellationReason!: string | null;
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

export class FieldErrorResponse {
  @ApiProperty({ example: 'lines[0].quantity' }) field!: string;
  @ApiProperty({ example: 'lines[0].quantity must not be less than 1' }) message!: string;
}

export class ProblemResponse {
  @ApiProperty({ example: 'urn:problem:orders:illegal-transition' }) type!: string;
  @ApiProperty({ example: 'Illegal status transition' }) title!: string;
  @ApiProperty({ example: 409 }) status!: number;
  @ApiProperty({ example: 'Order is DELIVERED; it cannot become CANCELLED' }) detail!: string;
  @ApiProperty({ example: '/api/orders/019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80' }) instance!: string;
  @ApiProperty({ example: '6f1c2a9e-3b7d-4e5f-8a9b-0c1d2e3f4a5b' }) requestId!: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Validation problems only: one entry per bad field' })
  errors?: FieldErrorResponse[];
  @ApiPropertyOptional({ enum: OrderStatus, description: 'Transition problems only' }) currentStatus?: OrderStatus;
  @ApiPropertyOptional({ enum: OrderStatus, description: 'Transition problems only' }) requestedStatus?: OrderStatus;
}

export class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid', description: 'ce_id of the event' }) eventId!: string;
  @ApiProperty({ enum: OrderEventType, example: OrderEventType.ORDER_CONFIRMED }) type!: OrderEventType;
  @ApiProperty({ example: 2, description: 'Order version the event produced' }) orderVersion!: number;
  @ApiProperty({ enum: OrderStatus, example: OrderStatus.CONFIRMED }) status!: OrderStatus;
  @ApiProperty({ enum: OrderStatus, nullable: true, example: OrderStatus.PLACED }) previousStatus!: OrderStatus | null;
  @ApiProperty({ format: 'date-time', description: 'When the change committed' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the worker consumed the event' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that caused it' })
  correlationId!: string | null;
}

export class OrderTimelineResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ type: [TimelineEntryResponse] }) events!: TimelineEntryResponse[];
}
