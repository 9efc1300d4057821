/** How long a finished agency export is offered for download, in hours (shared by the page and the worker). */
export const EXPORT_LINK_HOURS = 24;
