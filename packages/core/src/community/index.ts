export {
  COMMENT_BODY_MAX,
  postComment,
  listComments,
  deleteComment,
  setCommentsClosed,
  commentsClosed,
  replyTooDeep,
  type CommentView,
  type CommentOrder,
  type NewComment,
} from './comments.ts';
export {
  toggleTrack,
  toggleFollow,
  trackCounts,
  userCounts,
  getTrackCounts,
  getUserCounts,
  listPeople,
  type TrackCounts,
  type UserCounts,
  type UserCard,
  type PeopleList,
} from './toggles.ts';
export { feedQuery, getFeed, type FeedEntry, type FeedRelease, type FeedTrack } from './feed.ts';
export {
  listNotifications,
  markNotificationsRead,
  unreadCount,
  getEmailPreferences,
  setEmailPreferences,
  unsubscribeToken,
  unsubscribe,
  DEFAULT_EMAIL_PREFERENCES,
  type NotificationGroup,
  type EmailPreferences,
} from './notifications.ts';
export {
  NOTIFICATION_TYPES,
  notify,
  type NotificationType,
  type NewNotification,
  type WrittenNotification,
} from './notify.ts';
export {
  createNotificationDelivery,
  sendNotificationEmail,
  EMAIL_WINDOW_MS,
  EMAIL_DELAY_MS,
  type EmailJob,
  type EmailQueue,
} from './delivery.ts';
export { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, encodeCursor, decodeCursor, type Page } from './cursor.ts';
export type { CommunityActor, CommunityDeps, NotificationDelivery } from './deps.ts';
export { listLibrary, type LibraryItem } from './library.ts';
