import { Injectable, PipeTransform } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createValidationPipe, type FieldError, RequestValidationError } from '@app/http';
import { BulkOrdersEnvelope } from './dto/bulk-create-orders.dto';
import { CreateOrderDto } from './dto/create-order.dto';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body with `{}` in place of each order that is an object, so checking its shape costs nothing. */
function envelopeOf(body: unknown): unknown {
  if (!isObject(body)) return body;
  const { orders } = body;
  return Array.isArray(orders) ? { ...body, orders: orders.map((order) => (isObject(order) ? {} : order)) } : body;
}

/** Orders validated between two yields to the event loop: a few milliseconds of work. */
const ORDERS_PER_SLICE = 10;

/**
 * Validates a bulk body an order at a time and lets other requests run between slices: validating
 * 1,000 orders in one go holds the event loop for most of a second, health probes included.
 */
@Injectable()
export class BulkOrdersValidationPipe implements PipeTransform<unknown, Promise<{ orders: CreateOrderDto[] }>> {
  private readonly validation = createValidationPipe();

  async transform(body: unknown): Promise<{ orders: CreateOrderDto[] }> {
    // The envelope is checked on a stand-in holding an empty object per order: the pipe walks and
    // copies whatever it gets, and the orders themselves are walked below, a slice at a time.
    await this.validation.transform(envelopeOf(body), { type: 'body', metatype: BulkOrdersEnvelope });
    const envelope = body as BulkOrdersEnvelope;
    const orders: CreateOrderDto[] = [];
    const errors: FieldError[] = [];
    for (const [index, order] of envelope.orders.entries()) {
      if (index > 0 && index % ORDERS_PER_SLICE === 0) await yieldToEventLoop();
      try {
        orders.push(await this.validation.transform(order, { type: 'body', metatype: CreateOrderDto }));
      } catch (error) {
        if (!(error instanceof RequestValidationError)) throw error;
        const path = (field: string) => `orders[${index}].${field}`;
        errors.push(
          ...error.errors.map(({ field, message }) => ({
            field: path(field),
            message: message.replace(field, path(field)),
          })),
        );
      }
    }
    if (errors.length > 0) throw new RequestValidationError(errors);
    return { orders };
  }
}
