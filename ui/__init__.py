"""Streamlit pieces shared by the pages: settings controls mirrored in the
URL, and the live-training panel. dlcore never imports this package."""
