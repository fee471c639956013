"""Files besides the site: open data, the feed, the print packs and their PDFs."""
