// The `site:` block of a catalog file: the site settings deployment rules depend on — the
// high-risk deployment verification limits, Enhanced HTTP, and whether a network access account
// is configured. Anything not written stays undefined: rules then assume nothing rather than guess.

import type { YMap } from './yaml/nodes';
import type { ExpansionBudget } from './yaml/expand';
import { MapReader, spanOf } from './fields';
import type { Span } from './text';

/** What the site does when a high-risk deployment targets a collection with site system servers. */
export type SiteSystemsPolicy = 'block' | 'warn';

export interface HighRiskSettings {
  /** Collections with more members are hidden by default in the wizard; 0 turns the check off. */
  defaultSize?: number;
  /** Collections with more members cannot be chosen at all; 0 turns the check off. */
  maximumSize?: number;
  siteSystems?: SiteSystemsPolicy;
}

export interface SiteSettings {
  highRisk: HighRiskSettings;
  enhancedHttp?: boolean;
  networkAccessAccount?: boolean;
  span: Span;
}

/** ConfigMgr's defaults for deployment verification, used when the catalog does not say. */
export const HIGH_RISK_DEFAULTS: Required<HighRiskSettings> = { defaultSize: 100, maximumSize: 0, siteSystems: 'warn' };

export function buildSiteSettings(map: YMap, budget: ExpansionBudget): SiteSettings {
  const r = new MapReader(map, budget);
  const hr = r.map('highRisk');
  const highRisk: HighRiskSettings = {};
  if (hr) {
    const h = new MapReader(hr, budget);
    const size = (key: string) => {
      const v = h.integer(key)?.value;
      return v !== undefined && v >= 0 ? v : undefined;
    };
    highRisk.defaultSize = size('defaultSize');
    highRisk.maximumSize = size('maximumSize');
    const policy = h.string('siteSystems')?.value;
    highRisk.siteSystems = policy === 'block' || policy === 'warn' ? policy : undefined;
  }
  return {
    highRisk,
    enhancedHttp: r.bool('enhancedHttp')?.value,
    networkAccessAccount: r.bool('networkAccessAccount')?.value,
    span: spanOf(map),
  };
}
