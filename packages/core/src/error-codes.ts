/**
 * Every `error.code` the API answers with, and what it means. This is the one catalogue: `AppError`
 * only accepts a code listed here, the OpenAPI document publishes it (the `code` enum of
 * `ErrorResponse`), and `apps/api/test/error-codes.test.ts` checks that every code in the source
 * is listed. A new code goes here first (docs/architecture.md, "Errors").
 */
export const ERROR_CODES = {
  // Requests the API cannot read.
  bad_request: 'The request is malformed (a bad cursor, a bad path, a malformed HTTP request).',
  bad_url: 'The URL is not valid percent-encoding.',
  uri_too_long: 'A path segment is too long.',
  headers_too_large: 'The URL or headers are too large.',
  invalid_json: 'The body is not a JSON document.',
  invalid_multipart: 'The multipart/form-data body is malformed.',
  unsupported_media_type: 'The body has a Content-Type this route does not take.',
  payload_too_large: 'The body, a file or a part count is over its limit.',
  request_timeout: 'The request (or its body) took too long to arrive.',
  upgrade_required: 'The route is a WebSocket: connect with an Upgrade request.',
  range_not_satisfiable: 'The Range header is invalid or outside the file.',
  // Input that breaks a rule; `details.field` names the field, `details.reason` says why.
  validation_failed: 'A field breaks its rule.',
  handle_reserved: 'The handle is reserved for the site.',
  wrong_password: 'The current password is not right.',
  invalid_token: 'The email link is invalid, expired or already used.',
  invalid_audio: 'The upload is not audio the pipeline can read.',
  invalid_image: 'The upload is not an image the site can read.',
  cannot_target_self: 'An admin action aimed at the admin’s own account.',
  // Who is calling.
  unauthorized: 'Sign in to do this.',
  invalid_credentials: 'The email address or password is wrong.',
  invalid_session: 'The session is invalid or has expired.',
  account_disabled: 'The account has been disabled by the site’s operators.',
  forbidden: 'The caller may not do this.',
  csrf_failed: 'A cookie-authenticated write without the right CSRF token.',
  cross_site_request: 'A request or WebSocket upgrade from another site.',
  link_expired: 'A signed media link has expired.',
  // State.
  not_found: 'No such resource (or the caller may not see it).',
  email_taken: 'An account with this email address exists.',
  handle_taken: 'The handle is taken.',
  // Rates.
  rate_limited: 'Too many requests; `Retry-After` says when to try again.',
  account_locked: 'Too many failed sign-ins for this account; `Retry-After` says when to try again.',
  // The server.
  // Catalogue (docs/architecture.md, "Catalogue").
  version_not_ready: 'Only a ready version can become the current one.',
  nothing_to_retry: 'Only a track whose newest version failed processing can be retried.',
  track_sold:
    'The track was sold: deleting it needs the confirmation that buyers keep access (`?confirmBuyersKeepAccess=true`).',
  release_sold: 'The release was sold and cannot be deleted.',
  unknown_tracks: 'Some of the tracks are unknown or not visible to you.',
  not_your_tracks: 'A release can only hold tracks of its artist.',
  too_many_playlists: 'The account has as many playlists as it may.',
  // Community (docs/architecture.md, "Community").
  comments_closed: 'The artist closed comments on this track.',
  // Moderation and embeds (docs/architecture.md, "Moderation", "Embeds and sharing").
  cannot_report_self: 'You cannot report your own track, comment or account.',
  not_implemented: 'The oEmbed format asked for is not served (only JSON).',
  // Outages (the request may be retried; `Retry-After` says when).
  service_unavailable: 'A service the request needs (database, queue, object store) is unavailable for a moment.',
  insufficient_storage: 'The server’s disk is full; the upload was not kept.',
  // Commerce (docs/payments.md).
  payments_disabled: 'Buying is off on this server (no payment keys configured).',
  artist_not_payable: 'The artist cannot be paid yet (no payout account, and the server refuses sales without one).',
  own_item: 'An artist cannot buy their own track or release.',
  payment_provider_error: 'The payment provider refused or failed the call; nothing was charged.',
  not_for_sale: 'The item has no price.',
  not_available: 'The item cannot be bought or downloaded by this caller.',
  download_failed: 'A download format could not be made after every attempt; its artist (or an admin) may retry it.',
  download_revoked:
    'The purchase behind a download link was refunded (or the item taken down): the link no longer works.',
  format_unavailable: 'The download format cannot be made from this item’s original (e.g. FLAC from a lossy master).',
  amount_below_minimum: 'The amount is below the item’s minimum price.',
  amount_below_stripe_minimum: 'The amount is below the smallest charge the payment provider accepts in that currency.',
  amount_mismatch: 'A fixed-price item must be paid its exact price.',
  amount_too_large: 'The amount is over the largest accepted order.',
  currency_mismatch: 'The currency is not the item’s currency.',
  invalid_amount: 'The amount is not a whole number of minor units.',
  unknown_currency: 'The currency is not an ISO 4217 code the payment provider supports.',
  webhook_signature_invalid: 'The webhook’s signature does not match its body.',
  webhook_too_old: 'The webhook’s signature is older than the 5-minute tolerance (a replay).',
  webhook_malformed: 'The webhook body is not an event.',
  internal: 'An error on the server; the message carries the request id for the logs.',
  method_not_allowed: 'The method is not allowed on this route (worker health endpoint).',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];
