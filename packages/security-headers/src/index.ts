export {
  securityHeaders,
  contentSecurityPolicy,
  websocketOriginOf,
  isFrameable,
  STRICT_TRANSPORT_SECURITY,
  CONSTANT_HEADERS,
  FRAMEABLE_PATH_PREFIXES,
  FRAMING,
  SECURITY_HEADER_NAMES,
  type HeaderRequest,
} from './headers.ts';
export { renderNginxSecurityTemplates, NGINX_SECURITY_TEMPLATES } from './nginx.ts';
