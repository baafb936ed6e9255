export * from './fields.ts';
export { recordAudit, listAudit, type AuditEntry, type NewAuditEntry } from './audit.ts';
export {
  createReport,
  listReports,
  resolveReport,
  resolveReportsAbout,
  cannotReportSelf,
  type ReportView,
  type AdminReportView,
} from './reports.ts';
export { takeDown, restore, type TakedownView } from './takedown.ts';
export {
  searchUsers,
  getUserForAdmin,
  setUserRole,
  disableUserAudited,
  enableUserAudited,
  type AdminUserView,
  type AdminUploadView,
} from './admin-users.ts';
export { listContentForAdmin, type AdminContentItem } from './admin-content.ts';
export { jobsOverview, retryFailedJobs, retryOneJob } from './admin-jobs.ts';
