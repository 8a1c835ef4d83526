/**
 * Minimal path router: '/conversations/:id/users/:userId' patterns, exact segment match.
 */
import type { RouteDef } from './types';

interface CompiledRoute {
	route: RouteDef;
	regex: RegExp;
	keys: string[];
}

export type RouteMatch =
	| { kind: 'found'; route: RouteDef; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allowed: string[] }
	| { kind: 'not-found' };

function escapeRegex(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Strip a trailing slash (except for '/') and make sure the path starts with '/'. */
export function normalizePath(path: string): string {
	let p = path.startsWith('/') ? path : '/' + path;
	while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
	return p;
}

export class Router {
	private readonly compiled: CompiledRoute[];

	constructor(routes: RouteDef[]) {
		this.compiled = routes.map((route) => {
			const keys: string[] = [];
			const source = normalizePath(route.path)
				.split('/')
				.map((seg) => {
					if (seg.startsWith(':')) {
						keys.push(seg.slice(1));
						return '([^/]+)';
					}
					return escapeRegex(seg);
				})
				.join('/');
			return { route, regex: new RegExp(`^${source}$`), keys };
		});
	}

	/** HEAD is served by GET routes (Node drops the body for HEAD responses). */
	match(method: string, path: string): RouteMatch {
		const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
		const allowed: string[] = [];
		for (const c of this.compiled) {
			const m = c.regex.exec(path);
			if (!m) continue;
			const routeMethod = c.route.method.toUpperCase();
			if (routeMethod === wanted) {
				const params: Record<string, string> = {};
				c.keys.forEach((key, i) => {
					try {
						params[key] = decodeURIComponent(m[i + 1]);
					} catch {
						params[key] = m[i + 1];
					}
				});
				return { kind: 'found', route: c.route, params };
			}
			if (!allowed.includes(routeMethod)) allowed.push(routeMethod);
		}
		if (allowed.length > 0) {
			if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
			return { kind: 'method-not-allowed', allowed };
		}
		return { kind: 'not-found' };
	}
}
