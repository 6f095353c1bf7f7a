"""Deep Learning Playground: the entry point.

Run with ``streamlit run app.py``. Each lesson is a section of the
navigation; a new page is one file in pages/ and one line here.
"""

import streamlit as st

st.set_page_config(page_title="Deep Learning Playground", page_icon="🧠",
                   layout="wide")

# Less empty space above the title, so a projector shows the loss curve
# without scrolling.
st.markdown("<style>[data-testid='stMainBlockContainer']"
            "{padding-top: 1.5rem}"
            "[data-testid='stMetricValue']{font-size: 1.9rem}</style>",
            unsafe_allow_html=True)

pages = {
    "Neural networks": [
        st.Page("pages/mlp_playground.py", title="MLP playground",
                icon="🔵", url_path="mlp", default=True),
    ],
}

st.navigation(pages).run()
