/**
 * Registry of built-in provider modules. To add a provider: create
 * providers/<vendor>.ts exporting a class implementing ProviderModule, add it
 * to defaultProviders() below, and (optionally) a typed getter on Sandbox.
 */
import type { ProviderModule } from '../types';
import { DigishareProvider } from './digishare';
import { OmnideskProvider } from './omnidesk';
import { LiveChatAIProvider } from './livechatai';
import { LivePersonProvider } from './liveperson';
import { OpenAIProvider } from './openai';
import { ShopProvider } from './shop';

/** Fresh instances of every built-in provider module (each call → independent state). */
export function defaultProviders(): ProviderModule[] {
	return [new DigishareProvider(), new OmnideskProvider(), new LiveChatAIProvider(), new LivePersonProvider(), new OpenAIProvider(), new ShopProvider()];
}

export { DigishareProvider, OmnideskProvider, LiveChatAIProvider, LivePersonProvider, OpenAIProvider, ShopProvider };
