import { Injectable, PipeTransform } from '@nestjs/common';
import { OrderNotFoundError } from '@app/orders';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a UUID cannot name an order: 404, without asking the database or the cache. */
@Injectable()
export class OrderIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!UUID.test(id)) throw new OrderNotFoundError(id);
    return id.toLowerCase();
  }
}
