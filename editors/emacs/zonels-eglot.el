;;; zonels-eglot.el --- zonels for zone files in Emacs, through eglot  -*- lexical-binding: t; -*-

;; Load this file (or paste it into your init file). Zone files open in Emacs's own
;; `dns-mode'; eglot starts `zonels lsp' for them. Emacs 29+ has eglot built in; on
;; Emacs 28 install it first (Debian: `apt-get install elpa-eglot', or M-x package-install).

(require 'eglot)
(require 'dns-mode)

(defvar zonels-program "zonels"
  "The zonels binary: a name on PATH or an absolute path.")

(add-to-list 'auto-mode-alist '("\\.zone\\'" . dns-mode))
(add-to-list 'auto-mode-alist '("/db\\.[^/]+\\'" . dns-mode))
(add-to-list 'eglot-server-programs `(dns-mode . (,zonels-program "lsp")))
(add-hook 'dns-mode-hook #'eglot-ensure)

(provide 'zonels-eglot)
;;; zonels-eglot.el ends here
