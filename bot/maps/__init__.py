"""The cluster map: the 2008 edition's clusters drawn on Japan's prefectures, as a PNG."""
