import { AccessDeniedError } from '@app/auth';
import { RequestValidationError } from '@app/http';
import type { CustomerScope, OrderDraft } from '@app/orders';
import type { CreateOrderDto } from './dto/create-order.dto';

/**
 * The order a caller places: a customer's token places orders for its own customer only (customerId
 * may be left out); anyone else names the customer. `field` says where customerId sits in the body.
 */
export function ownedDraft(dto: CreateOrderDto, scope: CustomerScope, field = 'customerId'): OrderDraft {
  if (scope !== null && dto.customerId !== undefined && dto.customerId !== scope) {
    throw new AccessDeniedError(`A customer token places orders for its own customer only, not for ${dto.customerId}`);
  }
  const customerId = dto.customerId ?? scope;
  if (customerId === null) throw new RequestValidationError([{ field, message: `${field} is required` }]);
  return { ...dto, customerId };
}
