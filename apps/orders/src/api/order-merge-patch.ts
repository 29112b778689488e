import { Injectable } from '@nestjs/common';
import { apply as applyMergePatch } from 'json-merge-patch';
import { createValidationPipe } from '@app/http';
import type { OrderRevision } from '@app/orders';
import { ReviseOrderDto } from './dto/create-order.dto';

/**
 * Applies a JSON Merge Patch to an order's editable content and validates the result as a full
 * revision: whatever the patch leaves out stays, null removes, and the outcome must be a valid PUT body.
 */
@Injectable()
export class OrderMergePatch {
  private readonly validation = createValidationPipe();

  /** `content` is changed in place: pass a copy (editableContent makes one). */
  async apply(content: OrderRevision, patch: object): Promise<OrderRevision> {
    const merged: unknown = applyMergePatch(content, patch);
    return (await this.validation.transform(merged, { type: 'body', metatype: ReviseOrderDto })) as ReviseOrderDto;
  }
}
