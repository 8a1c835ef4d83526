/**
 * A stand-in shop API for the examples (the order-status bot looks orders up here with n8n's HTTP
 * Request node): `GET /shop/api/orders/:number` answers the order, or 404 `{ error }` for an
 * unknown number. No authentication; state is the seeded orders (editable, restored by reset()).
 */
import type { MountDef, ProviderModule, RequestContext } from '../types';

export interface ShopOrder {
	number: string;
	status: string;
	eta: string | null;
}

export const SHOP_ORDERS: readonly ShopOrder[] = [
	{ number: 'A-1001', status: 'shipped', eta: '2026-12-08' },
	{ number: 'A-1002', status: 'being packed', eta: '2026-12-10' },
	{ number: 'A-1003', status: 'delivered', eta: null },
];

export class ShopProvider implements ProviderModule {
	readonly name = 'shop';
	readonly mounts: MountDef[];
	readonly orders = new Map<string, ShopOrder>();

	constructor() {
		this.mounts = [
			{
				name: 'shop',
				basePath: '/api',
				routes: [{ method: 'GET', path: '/orders/:number', public: true, handler: (c) => this.order(c) }],
			},
		];
		this.reset();
	}

	reset(): void {
		this.orders.clear();
		for (const order of SHOP_ORDERS) this.orders.set(order.number, { ...order });
	}

	private order(c: RequestContext) {
		const number = c.params.number.trim().toUpperCase();
		const order = this.orders.get(number);
		return order ? { status: 200, body: order } : { status: 404, body: { error: `No order ${number}` } };
	}
}
