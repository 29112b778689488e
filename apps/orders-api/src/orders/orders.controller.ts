import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrderCacheInterceptor } from '@app/cache/order-cache.interceptor';
import { CorrelationId } from '@app/http/correlation-id.decorator';
import { OrderTimelineRepository, TimelineEntry } from '@app/messaging/consumer/order-timeline.repository';
import { OrderStatus } from '@app/orders/domain/order-status';
import type { Order } from '@app/orders/domain/order';
import { OrderPage, OrdersService } from '@app/orders/orders.service';
import { ApiProblems } from './api-problems.decorator';
import { BulkCreateOrdersDto } from './dto/bulk-create-orders.dto';
import { CreateOrderDto, ReviseOrderDto } from './dto/create-order.dto';
import { CancelOrderQuery, ListOrdersQuery } from './dto/list-orders.query';
import { BulkOrdersResponse, OrderPageResponse, OrderResponse, OrderTimelineResponse } from './dto/order.response';
import { OrderEtagInterceptor } from './order-etag.interceptor';
import { IfMatchVersion, OrderIdPipe } from './order-http';
import { IdempotencyKey } from './idempotency-key.decorator';

const orderId = ApiParam({ name: 'id', format: 'uuid', description: 'Order id' });
const ifMatch = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'ETag of the version you read, e.g. "3"; a stale one gives 412',
});

@ApiTags('orders')
@Controller('api/orders')
@UseInterceptors(OrderEtagInterceptor)
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly timeline: OrderTimelineRepository,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Place an order',
    description: 'Totals are computed by the server. Safe to retry with an Idempotency-Key.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the original response again, no second order',
  })
  @ApiCreatedResponse({ type: OrderResponse, description: 'Placed; Location names the new order' })
  @ApiProblems(400, 413, 415, 422)
  async place(
    @Body() dto: CreateOrderDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CorrelationId() correlationId: string | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Order> {
    const { order, replayed } = await this.orders.place(dto, { correlationId }, idempotencyKey);
    res.location(`/api/orders/${order.id}`);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return order;
  }

  @Post('bulk')
  @ApiOperation({
    summary: 'Place up to 1,000 orders at once',
    description: 'All or nothing: one invalid order rejects the batch.',
  })
  @ApiCreatedResponse({ type: BulkOrdersResponse })
  @ApiProblems(400, 413, 415, 422)
  async placeMany(
    @Body() dto: BulkCreateOrdersDto,
    @CorrelationId() correlationId: string | null,
  ): Promise<{ orders: Order[] }> {
    return { orders: await this.orders.placeMany(dto.orders, { correlationId }) };
  }

  @Get()
  @UseInterceptors(OrderCacheInterceptor)
  @ApiOperation({
    summary: 'List orders, newest first',
    description: 'Keyset pagination: follow nextCursor until it is null.',
  })
  @ApiOkResponse({ type: OrderPageResponse })
  @ApiProblems(400)
  list(@Query() query: ListOrdersQuery): Promise<OrderPage> {
    return this.orders.list(query);
  }

  @Get(':id')
  @UseInterceptors(OrderCacheInterceptor)
  @orderId
  @ApiOperation({
    summary: 'Get one order',
    description: 'Send If-None-Match with the ETag to get 304 when unchanged.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(404)
  get(@Param('id', OrderIdPipe) id: string): Promise<Order> {
    return this.orders.get(id);
  }

  @Get(':id/events')
  @orderId
  @ApiOperation({
    summary: 'Every event of the order, in order',
    description: 'The timeline the worker builds from the orders topic; an event shows up once the worker consumed it.',
  })
  @ApiOkResponse({ type: OrderTimelineResponse })
  @ApiProblems(404)
  async events(@Param('id', OrderIdPipe) id: string): Promise<{ orderId: string; events: TimelineEntry[] }> {
    await this.orders.get(id);
    return { orderId: id, events: await this.timeline.findByOrder(id) };
  }

  @Put(':id')
  @orderId
  @ifMatch
  @ApiOperation({
    summary: 'Replace lines, shipping address and notes',
    description: 'Only while the order is PLACED.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(400, 404, 409, 412, 413, 415, 422)
  revise(
    @Param('id', OrderIdPipe) id: string,
    @Body() dto: ReviseOrderDto,
    @IfMatchVersion() expectedVersion: number | undefined,
    @CorrelationId() correlationId: string | null,
  ): Promise<Order> {
    return this.orders.revise(id, dto, { correlationId, expectedVersion });
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @orderId
  @ifMatch
  @ApiOperation({ summary: 'Confirm a PLACED order' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(404, 409, 412)
  confirm(
    @Param('id', OrderIdPipe) id: string,
    @IfMatchVersion() v: number | undefined,
    @CorrelationId() c: string | null,
  ) {
    return this.orders.transition(id, OrderStatus.CONFIRMED, { correlationId: c, expectedVersion: v });
  }

  @Post(':id/ship')
  @HttpCode(200)
  @orderId
  @ifMatch
  @ApiOperation({ summary: 'Ship a CONFIRMED order' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(404, 409, 412)
  ship(
    @Param('id', OrderIdPipe) id: string,
    @IfMatchVersion() v: number | undefined,
    @CorrelationId() c: string | null,
  ) {
    return this.orders.transition(id, OrderStatus.SHIPPED, { correlationId: c, expectedVersion: v });
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @orderId
  @ifMatch
  @ApiOperation({ summary: 'Mark a SHIPPED order delivered' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(404, 409, 412)
  deliver(
    @Param('id', OrderIdPipe) id: string,
    @IfMatchVersion() v: number | undefined,
    @CorrelationId() c: string | null,
  ) {
    return this.orders.transition(id, OrderStatus.DELIVERED, { correlationId: c, expectedVersion: v });
  }

  @Delete(':id')
  @orderId
  @ifMatch
  @ApiOperation({
    summary: 'Cancel an order',
    description: 'Allowed while PLACED or CONFIRMED. Cancelling a cancelled order again returns it unchanged.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(400, 404, 409, 412)
  cancel(
    @Param('id', OrderIdPipe) id: string,
    @Query() query: CancelOrderQuery,
    @IfMatchVersion() expectedVersion: number | undefined,
    @CorrelationId() correlationId: string | null,
  ): Promise<Order> {
    return this.orders.cancel(id, query.reason, { correlationId, expectedVersion });
  }
}
