import type { BuyingRole, Role, Tier } from '@abm-pilot/shared';

// The logical dataset that both emulators load. It is CRM-neutral: the HubSpot emulator maps it to
// companies / contacts / deals / owners, the Salesforce emulator to Account / Contact / Opportunity / User,
// so the same seed gives the same business in both CRMs. Every record is derived from (seed, index) alone,
// which lets a million-account dataset be produced lazily, one account at a time.

export type EngagementType = 'email_open' | 'email_click' | 'web_visit' | 'form_submit' | 'meeting' | 'call';

export interface SeedOwner {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** IANA zone: owners work in several. */
  readonly timezone: string;
  readonly team: string;
  readonly managerId: string | null;
  readonly role: Role;
}

export interface SeedCompany {
  readonly id: string;
  readonly index: number;
  readonly name: string;
  readonly domain: string;
  readonly industry: string;
  readonly region: string;
  readonly country: string;
  readonly city: string;
  readonly employees: number;
  readonly annualRevenue: number;
  readonly ownerId: string;
  readonly createdAt: string;
  /** Tier assigned by humans before ABM Pilot arrived, if any. */
  readonly tier: Tier | null;
  readonly strategic: boolean;
  /** Third-party intent score 0-100, when the account has one. */
  readonly intentScore: number | null;
}

export interface SeedContact {
  readonly id: string;
  readonly companyId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly jobTitle: string;
  readonly buyingRole: BuyingRole | null;
  readonly createdAt: string;
}

export interface SeedDeal {
  readonly id: string;
  readonly companyId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly amount: number;
  readonly stage: 'open' | 'won' | 'lost';
  readonly createdAt: string;
  /** Expected close for open deals, actual close for closed ones. */
  readonly closeDate: string;
}

export interface SeedEngagement {
  readonly id: string;
  readonly companyId: string;
  readonly contactId: string;
  readonly type: EngagementType;
  readonly occurredAt: string;
}

export interface SeedAccountBundle {
  readonly company: SeedCompany;
  readonly contacts: readonly SeedContact[];
  readonly deals: readonly SeedDeal[];
  readonly engagements: readonly SeedEngagement[];
}

export interface SeedOptions {
  readonly seed: number;
  /** 100 to 1,000,000. */
  readonly accounts: number;
  /** ISO instant that "now" is for the data: deals span the eight quarters before it. */
  readonly referenceDate: string;
}

export interface SeedDataset {
  readonly options: SeedOptions;
  readonly owners: readonly SeedOwner[];
  /** The account at `index` (0-based) with everything attached to it; same inputs, same output. */
  account(index: number): SeedAccountBundle;
  /** All accounts in index order, generated lazily. */
  accounts(): Iterable<SeedAccountBundle>;
}
