import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RateLimitBudget, RateLimitGuard } from '@app/http';
import {
  type Order,
  type OrderPage,
  OrdersService,
  OrderStatus,
  type TimelineEntry,
  type WriteContext,
} from '@app/orders';
import { ApiProblems } from './api-problems.decorator';
import { BulkOrdersValidationPipe } from './bulk-orders-validation.pipe';
import { BulkCreateOrdersDto } from './dto/bulk-create-orders.dto';
import { CreateOrderDto, ReviseOrderDto } from './dto/create-order.dto';
import { CancelOrderQuery, ListOrdersQuery } from './dto/list-orders.query';
import { OrderMergePatchDto } from './dto/order-merge-patch.dto';
import { BulkOrdersResponse, OrderPageResponse, OrderResponse, OrderTimelineResponse } from './dto/order.response';
import { IdempotencyKey } from './idempotency-key.decorator';
import { MERGE_PATCH_TYPE, MergePatchBody } from './merge-patch-body.decorator';
import { OrderMergePatch } from './order-merge-patch';
import {
  cacheHeader,
  ConditionalGet,
  etagHeader,
  IdempotencyKeyHeader,
  IfMatchHeader,
  placedHeaders,
} from './order-headers.openapi';
import { Allow, Caller, type OrderCaller } from './order-access';
import { OrderIdPipe } from './order-id.pipe';
import { type OrderReply, Reply } from './order-reply';
import { ownedDraft } from './owned-draft';
import { WriteCtx } from './write-context.decorator';

const orderId = ApiParam({
  name: 'id',
  schema: { type: 'string', format: 'uuid' },
  description: 'Order id (anything else is a 404)',
});
const ifMatch = IfMatchHeader();

/** A lifecycle step: POST /api/orders/:id/<action>, conditional on If-Match, answering the order. */
const TransitionEndpoint = (action: string, operationId: string, summary: string, description: string) =>
  applyDecorators(
    Post(`:id/${action}`),
    Allow('fulfilment', 'admin'),
    HttpCode(200),
    orderId,
    ifMatch,
    ApiOperation({ operationId, summary, description }),
    ApiOkResponse({ type: OrderResponse, description: 'The order after the step', headers: etagHeader }),
    ApiProblems(404, 409, 412),
  );

@ApiTags('orders')
// Any request can carry a body, or headers, the edge refuses, whatever the route.
@ApiProblems(400, 413, 415, 417, 429, 431, 500, 503)
@Controller('api/orders')
@UseGuards(RateLimitGuard)
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly mergePatch: OrderMergePatch,
  ) {}

  @Post()
  @Allow('customer', 'admin')
  @ApiOperation({
    operationId: 'placeOrder',
    summary: 'Place an order',
    description:
      'Totals are computed by the server. Safe to retry with an Idempotency-Key (keys are per caller). ' +
      'A customer places orders for itself: customerId may be left out (403 if it names another customer).',
  })
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({
    type: OrderResponse,
    description: 'Placed; Location names the new order',
    headers: placedHeaders,
  })
  @ApiProblems(422)
  async place(
    @Body() dto: CreateOrderDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.placed(await this.orders.place(ownedDraft(dto, ctx.customerScope), ctx, idempotencyKey));
  }

  @Post('bulk')
  @Allow('admin')
  @RateLimitBudget('bulk')
  @ApiOperation({
    operationId: 'placeOrders',
    summary: 'Place up to 1,000 orders at once',
    description: 'All or nothing: one invalid order rejects the batch.',
  })
  @ApiCreatedResponse({ type: BulkOrdersResponse, description: 'Every order placed, in the order sent' })
  @ApiProblems(422)
  @ApiBody({ type: BulkCreateOrdersDto })
  async placeMany(
    // Validated by its own pipe, a slice at a time (the type is an interface, so the global pipe leaves it be).
    @Body(BulkOrdersValidationPipe) dto: { orders: CreateOrderDto[] },
    @WriteCtx() ctx: WriteContext,
  ): Promise<{ orders: Order[] }> {
    const drafts = dto.orders.map((order, i) => ownedDraft(order, ctx.customerScope, `orders[${i}].customerId`));
    return { orders: await this.orders.placeMany(drafts, ctx) };
  }

  @Get()
  @Allow('customer', 'support', 'fulfilment', 'admin')
  @ApiOperation({
    operationId: 'listOrders',
    summary: 'List orders, newest first',
    description:
      'Keyset pagination: follow nextCursor until it is null. A customer sees its own orders only, whatever customerId says.',
  })
  @ApiOkResponse({ type: OrderPageResponse, description: 'One page of orders', headers: cacheHeader })
  async list(
    @Query() query: ListOrdersQuery,
    @Caller() caller: OrderCaller,
    @Reply() reply: OrderReply,
  ): Promise<OrderPage> {
    return reply.cached(await this.orders.list(query, caller.customerScope));
  }

  @Get(':id')
  @Allow('customer', 'support', 'fulfilment', 'admin')
  @orderId
  @ApiOperation({
    operationId: 'getOrder',
    summary: 'Get one order',
    description: 'Send If-None-Match with the ETag to get 304 when unchanged.',
  })
  @ConditionalGet()
  @ApiOkResponse({ type: OrderResponse, description: 'The order', headers: { ...etagHeader, ...cacheHeader } })
  @ApiProblems(404)
  async get(
    @Param('id', OrderIdPipe) id: string,
    @Caller() caller: OrderCaller,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(reply.cached(await this.orders.get(id, caller.customerScope)));
  }

  @Get(':id/events')
  @Allow('customer', 'support', 'fulfilment', 'admin')
  @orderId
  @ApiOperation({
    operationId: 'getOrderEvents',
    summary: 'Every event of the order, in order',
    description: 'The timeline the worker builds from the orders topic; an event shows up once the worker consumed it.',
  })
  @ApiOkResponse({ type: OrderTimelineResponse, description: 'The timeline so far' })
  @ApiProblems(404)
  async events(
    @Param('id', OrderIdPipe) id: string,
    @Caller() caller: OrderCaller,
  ): Promise<{ orderId: string; events: TimelineEntry[] }> {
    return { orderId: id, events: await this.orders.events(id, caller.customerScope) };
  }

  @Put(':id')
  @Allow('customer', 'support', 'admin')
  @orderId
  @ifMatch
  @ApiOperation({
    operationId: 'reviseOrder',
    summary: 'Replace lines, shipping address and notes',
    description:
      'Replaces the whole editable content: lines and shippingAddress are required, and notes left out are ' +
      'cleared. Only while the order is PLACED. To change some fields only, use PATCH.',
  })
  @ApiOkResponse({ type: OrderResponse, description: 'The revised order', headers: etagHeader })
  @ApiProblems(404, 409, 412, 422)
  async revise(
    @Param('id', OrderIdPipe) id: string,
    @Body() dto: ReviseOrderDto,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(await this.orders.revise(id, dto, ctx));
  }

  @Patch(':id')
  @Allow('customer', 'support', 'admin')
  @orderId
  @ifMatch
  @ApiOperation({
    operationId: 'patchOrder',
    summary: 'Change some of lines, shipping address and notes',
    description:
      'A JSON Merge Patch (RFC 7396) of the editable content: fields left out stay as they are, null removes ' +
      'an optional field (notes, shippingAddress.line2, shippingAddress.region), and lines are replaced as a ' +
      'whole. The result must be a valid PUT body. Only while the order is PLACED.',
  })
  @ApiConsumes(MERGE_PATCH_TYPE)
  @ApiBody({ type: OrderMergePatchDto })
  @ApiOkResponse({ type: OrderResponse, description: 'The changed order', headers: etagHeader })
  @ApiProblems(404, 409, 412, 422)
  async patch(
    @Param('id', OrderIdPipe) id: string,
    @MergePatchBody() patch: object,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(await this.orders.patch(id, (content) => this.mergePatch.apply(content, patch), ctx));
  }

  @TransitionEndpoint('confirm', 'confirmOrder', 'Confirm a PLACED order', 'PLACED -> CONFIRMED.')
  async confirm(
    @Param('id', OrderIdPipe) id: string,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(await this.orders.transition(id, OrderStatus.CONFIRMED, ctx));
  }

  @TransitionEndpoint('ship', 'shipOrder', 'Ship a CONFIRMED order', 'CONFIRMED -> SHIPPED.')
  async ship(
    @Param('id', OrderIdPipe) id: string,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(await this.orders.transition(id, OrderStatus.SHIPPED, ctx));
  }

  @TransitionEndpoint('deliver', 'deliverOrder', 'Mark a SHIPPED order delivered', 'SHIPPED -> DELIVERED.')
  async deliver(
    @Param('id', OrderIdPipe) id: string,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(await this.orders.transition(id, OrderStatus.DELIVERED, ctx));
  }

  @Delete(':id')
  @Allow('customer', 'support', 'admin')
  @orderId
  @ifMatch
  @ApiOperation({
    operationId: 'cancelOrder',
    summary: 'Cancel an order',
    description: 'Allowed while PLACED or CONFIRMED. Cancelling a cancelled order again returns it unchanged.',
  })
  @ApiOkResponse({ type: OrderResponse, description: 'The cancelled order', headers: etagHeader })
  @ApiProblems(404, 409, 412)
  async cancel(
    @Param('id', OrderIdPipe) id: string,
    @Query() query: CancelOrderQuery,
    @WriteCtx() ctx: WriteContext,
    @Reply() reply: OrderReply,
  ): Promise<Order | undefined> {
    return reply.order(await this.orders.cancel(id, query.reason, ctx));
  }
}
