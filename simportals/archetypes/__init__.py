"""One module per CMS dialect; each turns a SiteSpec into a Portal (routes + truth)."""
