# Searcharr 3.2.2 settings for benches/searcharr_flow.rs: Radarr only, values from the
# environment the bench sets. Upstream's defaults otherwise, but with one quality profile (the
# fake Radarr has three) and users not picking tags, so an add is one press as in Usher;
# requesters are tagged, as Usher tags them.
import os

searcharr_password = os.environ["SEARCHARR_PASSWORD"]
searcharr_admin_password = os.environ["SEARCHARR_PASSWORD"] + "-admin"
searcharr_language = "en-us"
searcharr_start_command_aliases = ["start"]
searcharr_help_command_aliases = ["help"]
searcharr_users_command_aliases = ["users"]

tgram_token = os.environ["TG_TOKEN"]

sonarr_enabled = False
sonarr_url = ""
sonarr_api_key = ""
# Read even when Sonarr is off.
sonarr_series_command_aliases = ["series"]

radarr_enabled = True
radarr_url = os.environ["RADARR_URL"]
radarr_api_key = os.environ["RADARR_KEY"]
radarr_quality_profile_id = [1]
radarr_add_monitored = True
radarr_search_on_add = True
radarr_tag_with_username = True
radarr_forced_tags = []
radarr_allow_user_to_select_tags = False
radarr_user_selectable_tags = []
radarr_min_availability = "released"
radarr_movie_command_aliases = ["movie"]
radarr_movie_paths = []

readarr_enabled = False
readarr_url = ""
readarr_api_key = ""
