import { signV3 } from '../http/hubspotSignature.ts';
import type { CliCommand, CliIo } from './command.ts';
import { CliError, guarded, parseOptions, print } from './command.ts';

// `abm-pilot sign-hubspot`: a card call as HubSpot's proxy makes it, for trying ABM Pilot's HubSpot side
// without HubSpot. The proxy adds who is calling to the query (userId, userEmail, portalId, appId) and
// signs the whole request (v3) with the app's client secret; ABM Pilot checks that signature, so this
// command signs exactly as `hubspotSignature.ts` verifies. Signatures expire after five minutes: run it
// when you call, or let it call (--send).

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

const USAGE = `Usage: abm-pilot sign-hubspot --url <url> --portal <portalId> --user <userId> [options]

  Prints a curl command for a card call signed as HubSpot's proxy signs it (valid for five minutes),
  or makes the call with --send and prints the answer.

  --url <url>           ABM Pilot's endpoint, e.g. http://127.0.0.1:3000/api/v1/accounts/<crmId>/card
  --portal <portalId>   the HubSpot portal (account) the call comes from
  --user <userId>       the HubSpot user id of the person at the card (their sign-in id, not an owner id)
  --method <method>     ${METHODS.join(', ')} (default GET)
  --body <json>         the JSON body, signed as given
  --email <userEmail>   the user's e-mail, which the proxy adds too
  --app-id <appId>      the app id, which the proxy adds too
  --public-url <origin> the origin HubSpot calls (PUBLIC_URL) when --url reaches the server another way;
                        the signature covers that URL, not --url's
  --secret <secret>     the app's client secret (better: HUBSPOT_APP_CLIENT_SECRET, kept out of history)
  --send                make the call and print the answer; exits 1 when ABM Pilot refuses it

Environment: HUBSPOT_APP_CLIENT_SECRET (unless --secret).`;

export const signHubspotCommand: CliCommand = {
  name: 'sign-hubspot',
  summary: "sign a card call as HubSpot's proxy does: print it as curl, or --send it",
  usage: USAGE,
  run: (args, io) =>
    guarded(io, USAGE, async () => {
      const { values } = parseOptions(args, {
        url: { type: 'string' },
        portal: { type: 'string' },
        user: { type: 'string' },
        method: { type: 'string' },
        body: { type: 'string' },
        email: { type: 'string' },
        'app-id': { type: 'string' },
        'public-url': { type: 'string' },
        secret: { type: 'string' },
        send: { type: 'boolean' },
      });
      if (values.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
      }
      const signed = signRequest(
        {
          url: required(values.url, 'url'),
          portalId: required(values.portal, 'portal'),
          userId: required(values.user, 'user'),
          method: values.method ?? 'GET',
          body: values.body,
          userEmail: values.email,
          appId: values['app-id'],
          publicUrl: values['public-url'],
        },
        secretOf(values.secret, io),
        String((io.now ?? Date.now)()),
      );
      if (!values.send) {
        print(io, values.json, { ...signed, curl: curlOf(signed) }, () => curlOf(signed));
        return 0;
      }
      return send(signed, io, values.json);
    }),
};

interface CallInput {
  readonly url: string;
  readonly portalId: string;
  readonly userId: string;
  readonly method: string;
  readonly body: string | undefined;
  readonly userEmail: string | undefined;
  readonly appId: string | undefined;
  readonly publicUrl: string | undefined;
}

export interface SignedCall {
  readonly method: Method;
  /** Where the call goes: --url with the proxy's query added. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** The call as HubSpot's proxy sends it, signed at `timestamp` (epoch milliseconds). */
export function signRequest(input: CallInput, secret: string, timestamp: string): SignedCall {
  const method = input.method.toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new CliError('invalid_method', `--method must be one of ${METHODS.join(', ')}`, 2);
  }
  const url = httpUrl(input.url, 'url');
  if (!/^\d{1,20}$/.test(input.portalId)) throw new CliError('invalid_portal', '--portal is a number', 2);
  if (input.body !== undefined) {
    try {
      JSON.parse(input.body);
    } catch {
      throw new CliError('invalid_body', '--body is not JSON', 2);
    }
  }
  const proxyQuery: [string, string | undefined][] = [
    ['userId', input.userId],
    ['userEmail', input.userEmail],
    ['portalId', input.portalId],
    ['appId', input.appId],
  ];
  for (const [name, value] of proxyQuery) if (value !== undefined) url.searchParams.append(name, value);
  const pathAndQuery = `${url.pathname}${url.search}`;
  const signedOrigin =
    input.publicUrl === undefined ? url.origin : httpUrl(input.publicUrl, 'public-url').origin;
  const signature = signV3(secret, method, `${signedOrigin}${pathAndQuery}`, input.body ?? '', timestamp);
  return {
    method: method as Method,
    url: url.href,
    headers: {
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': signature.toString('base64'),
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: input.body ?? null,
  };
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw new CliError('missing_option', `--${option} is required`, 2);
  return value;
}

function httpUrl(text: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('invalid_url', `--${option} is not a URL`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('invalid_url', `--${option} must be http or https`, 2);
  }
  return url;
}

function secretOf(flag: string | undefined, io: CliIo): string {
  const secret = flag ?? io.env.HUBSPOT_APP_CLIENT_SECRET;
  if (secret === undefined || secret === '') {
    throw new CliError(
      'missing_secret',
      'give the app client secret: HUBSPOT_APP_CLIENT_SECRET or --secret',
      2,
    );
  }
  return secret;
}

/** Single-quoted for a POSIX shell, so the URL's `&` and the body's quotes arrive as signed. */
const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export function curlOf(call: SignedCall): string {
  return [
    'curl',
    ...(call.method === 'GET' ? [] : ['-X', call.method]),
    ...Object.entries(call.headers).map(([name, value]) => `-H ${quoted(`${name}: ${value}`)}`),
    ...(call.body === null ? [] : ['--data-raw', quoted(call.body)]),
    quoted(call.url),
  ].join(' ');
}

async function send(call: SignedCall, io: CliIo, json: boolean | undefined): Promise<number> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      ...(call.body === null ? {} : { body: call.body }),
    });
  } catch (error) {
    throw new CliError('unreachable', `${new URL(call.url).origin}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: shown as it came.
  }
  print(io, json, { status: response.status, body }, () => `HTTP ${response.status}\n${text}`);
  if (response.ok) return 0;
  io.stderr(`error call_refused: ABM Pilot answered HTTP ${response.status}\n`);
  return 1;
}
