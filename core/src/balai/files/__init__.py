"""Files: checked uploads, stored under server-made names, served with safe headers.

The built-in plugin ``files`` (pages at ``/berkas/``). Plugins call
``toolkit.save_upload`` with a litestar ``UploadFile`` and link to the result
with ``toolkit.file_url``. Content is checked by what it is, never by its
name or declared type alone (:mod:`balai.files.checks`); images are
re-encoded without their metadata and get WebP thumbnails
(:mod:`balai.files.images`); bytes go to a :class:`~balai.files.storage.Storage`
(local disk by default).
"""
