import { OrderStatus } from './order-status';

/** Domain errors: plain classes, mapped to problem+json responses at the HTTP edge. */
export class OrderNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} does not exist`);
  }
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly current: OrderStatus,
    readonly requested: OrderStatus,
  ) {
    super(`Order is ${current}; it cannot become ${requested}`);
  }
}

export class OrderNotEditableError extends Error {
  constructor(readonly current: OrderStatus) {
    super(`Order is ${current}; only a ${OrderStatus.PLACED} order can be changed`);
  }
}

export class VersionMismatchError extends Error {
  constructor(
    readonly expected: readonly number[],
    readonly actual: number,
  ) {
    super(
      expected.length === 0
        ? `If-Match names no version of this order; it is at version ${actual}`
        : `If-Match names version ${expected.join(' or ')} but the order is at version ${actual}`,
    );
  }
}

export class IdempotencyKeyReuseError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used with a different request body`);
  }
}

export class InvalidOrderError extends Error {}
