"""The verify stage: corpus-level answers to "who says so" and "how far to believe it".

stories.py clusters articles into stories; stance.py and corroborate.py match claims across
articles and decide whether each match supports or contradicts; sources.py counts independent
sources; credibility.py turns the signals into a calibrated score with its evidence.
"""
