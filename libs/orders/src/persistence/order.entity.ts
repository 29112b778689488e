import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import type { ShippingAddress } from '../domain/order';
import { OrderStatus } from '../domain/order-status';
import { bigintNumber } from './bigint-number.transformer';
import { OrderLineEntity } from './order-line.entity';

@Entity('orders')
export class OrderEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'customer_id', type: 'text' }) customerId!: string;
  @Column({ type: 'text' }) status!: OrderStatus;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ name: 'total_amount', type: 'bigint', transformer: bigintNumber }) totalAmount!: number;
  @Column({ name: 'shipping_address', type: 'jsonb' }) shippingAddress!: ShippingAddress;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true }) confirmedAt!: Date | null;
  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true }) shippedAt!: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt!: Date | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @Column({ name: 'cancellation_reason', type: 'text', nullable: true }) cancellationReason!: string | null;
  @OneToMany(() => OrderLineEntity, (line) => line.order) lines!: OrderLineEntity[];
}
