import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';
import { OrderEntity } from './order.entity';

@Entity('order_lines')
export class OrderLineEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' }) orderId!: string;
  @PrimaryColumn({ type: 'smallint' }) position!: number;
  @Column({ type: 'text' }) sku!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'integer' }) quantity!: number;
  @Column({ name: 'unit_price', type: 'bigint', transformer: bigintNumber }) unitPrice!: number;
  @Column({ name: 'line_total', type: 'bigint', transformer: bigintNumber }) lineTotal!: number;

  @ManyToOne(() => OrderEntity, (order) => order.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order!: Relation<OrderEntity>;
}
