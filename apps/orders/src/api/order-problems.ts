import { problem, type Problem } from '@app/http';
import {
  IdempotencyKeyReuseError,
  IllegalTransitionError,
  InvalidCursorError,
  InvalidOrderError,
  OrderNotEditableError,
  OrderNotFoundError,
  VersionMismatchError,
} from '@app/orders';

/** The orders feature's errors as problem+json; registered with the HTTP edge by OrdersApiModule. */
export function toOrderProblem(error: unknown): Problem | undefined {
  if (error instanceof InvalidCursorError) return problem(400, 'invalid-cursor', 'Invalid cursor', error.message);
  if (error instanceof OrderNotFoundError) return problem(404, 'order-not-found', 'Order not found', error.message);
  if (error instanceof IllegalTransitionError) {
    return problem(409, 'illegal-transition', 'Illegal status transition', error.message, {
      currentStatus: error.current,
      requestedStatus: error.requested,
    });
  }
  if (error instanceof OrderNotEditableError) {
    return problem(409, 'order-not-editable', 'Order can no longer be changed', error.message, {
      currentStatus: error.current,
    });
  }
  if (error instanceof VersionMismatchError) {
    return problem(412, 'version-mismatch', 'Order was changed by someone else', error.message, {
      currentVersion: error.actual,
    });
  }
  if (error instanceof IdempotencyKeyReuseError) {
    return problem(422, 'idempotency-key-reused', 'Idempotency key reused', error.message);
  }
  if (error instanceof InvalidOrderError) return problem(422, 'invalid-order', 'Invalid order', error.message);
  return undefined;
}
